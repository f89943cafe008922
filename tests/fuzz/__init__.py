"""Generated hostile files for every reader, shared by the fuzz test and benchmarks/."""
