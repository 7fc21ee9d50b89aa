"""placeholder"""
def resolve(text, candidates, dateline):
    return []
