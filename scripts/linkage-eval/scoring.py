"""Pairwise precision, recall and F1 of ranked pairs against the true pairs: one scoring for the
kit (`score.py`) and Splink (`splink_baseline.py`, `fake1000.py`), so their lines compare.

The best F1 over thresholds is chosen with the labels: a diagnostic of how well the pairs are
ranked, not a result.
"""

DEFAULT_THRESHOLD = 0.5


def summary(ranked, true_pairs, threshold=DEFAULT_THRESHOLD):
    """`ranked`: (pair, probability) most likely first, each pair a sorted tuple of ids."""
    found = {pair for pair, probability in ranked if probability >= threshold}
    hits = len(found & true_pairs)
    precision = hits / max(1, len(found))
    recall = hits / max(1, len(true_pairs))
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    best, hits = (0.0, 0.0), 0
    for count, (pair, probability) in enumerate(ranked, 1):
        hits += pair in true_pairs
        best = max(best, (2 * hits / (count + len(true_pairs)), probability))
    return (f"pairs {len(found)} true {len(true_pairs)} precision {precision:.4f} "
            f"recall {recall:.4f} f1 {f1:.4f}; best f1 {best[0]:.4f} at {best[1]:.3f}")


def splink_summary(linker, true_pairs, started):
    """Splink's predictions down to 0.01, scored by `summary`, with the seconds since `started`
    (a `time.perf_counter()` taken before training)."""
    import time

    predictions = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    predictions = predictions.sort_values("match_probability", ascending=False)
    ranked = [(tuple(sorted(pair)), p) for pair, p in zip(
        zip(predictions.unique_id_l, predictions.unique_id_r), predictions.match_probability)]
    return f"{summary(ranked, true_pairs)} ({seconds:.1f} s)"
