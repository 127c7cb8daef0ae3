"""Sparing the collector the objects a run keeps (`lib.run.heap`)."""

import gc

from lib.run import heap


def test_keep_freezes_objects_only_inside_long_lived_and_the_end_unfreezes_them():
    gc.unfreeze()
    heap.keep()
    assert gc.get_freeze_count() == 0  # outside a run: a caller's objects are never frozen
    kept = [object() for _ in range(10)]
    with heap.long_lived():
        heap.keep()
        assert gc.get_freeze_count() >= len(kept)
        with heap.long_lived():  # a nested run does not unfreeze what the outer one kept
            pass
        assert gc.get_freeze_count() >= len(kept)
    assert gc.get_freeze_count() == 0


def test_cycles_made_inside_are_collected_once_it_ends():
    class Node:
        pass

    with heap.long_lived():
        node = Node()
        node.me = node  # a reference cycle, then frozen and dropped
        heap.keep()
        count = sum(isinstance(o, Node) for o in gc.get_objects())
        del node
        gc.collect()
        assert sum(isinstance(o, Node) for o in gc.get_objects()) == count  # frozen: waits
    gc.collect()
    assert not any(isinstance(o, Node) for o in gc.get_objects())
