# The NIC driver callback interface and its providers (DESIGN.md section 6).
# Nothing is built here yet.
