"""What people run: the command line and the web portal, thin layers over the library."""
