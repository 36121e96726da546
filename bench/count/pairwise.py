"""Pairwise precision and recall of a grouping against known groups (shared by score.py and
reference.py)."""
from collections import Counter


def pairs(n):
    return n * (n - 1) // 2


def pairwise(group_of, truth):
    """group_of and truth map each record id (every id of truth) to a group; returns
    (precision, recall, cells) where cells counts records per (predicted, true) group."""
    cells = Counter((group_of[i], truth[i]) for i in truth)
    predicted = Counter(group_of[i] for i in truth)
    actual = Counter(truth.values())
    together = sum(pairs(n) for n in cells.values())
    predicted_pairs = sum(pairs(n) for n in predicted.values())
    true_pairs = sum(pairs(n) for n in actual.values())
    precision = together / predicted_pairs if predicted_pairs else 1.0
    recall = together / true_pairs if true_pairs else 1.0
    return precision, recall, cells
