"""Services: the only layer that opens transactions and does I/O."""
