//! Edit distance for fuzzy name matching.

/// The smallest edit distance between `query` and any prefix of `token`, if at most `allowed`.
pub(crate) fn prefix_edit_distance(query: &[char], token: &[char], allowed: usize) -> Option<u32> {
    let width = token.len() + 1;
    let mut previous: Vec<usize> = (0..width).collect();
    let mut current = vec![0usize; width];
    for (i, q) in query.iter().enumerate() {
        current[0] = i + 1;
        let mut row_min = current[0];
        for j in 1..width {
            let substitution = previous[j - 1] + usize::from(*q != token[j - 1]);
            current[j] = substitution.min(previous[j] + 1).min(current[j - 1] + 1);
            row_min = row_min.min(current[j]);
        }
        if row_min > allowed {
            return None;
        }
        std::mem::swap(&mut previous, &mut current);
    }
    let best = previous.iter().copied().min().unwrap_or(usize::MAX);
    (best <= allowed).then(|| u32::try_from(best).unwrap_or(u32::MAX))
}
