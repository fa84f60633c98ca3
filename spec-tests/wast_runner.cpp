// Placeholder translation unit until the WAST runner lands in this session.
