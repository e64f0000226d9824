"""What good data is: identifier checks, row-level rules and the shared quarantine."""
