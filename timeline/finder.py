"""placeholder"""
def find(text, *, language="en"):
    return []
