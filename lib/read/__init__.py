"""Reading: article files and sources.csv into the articles table, with copies, outlets and problems."""
