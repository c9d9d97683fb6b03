/** Levenshtein distance between two short strings. */
export function editDistance(a: string, b: string): number {
  const row = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** "did you mean …?" for candidates within edit distance 3 (commander's rule), else undefined. */
export function suggestSimilar(word: string, candidates: readonly string[]): string | undefined {
  let best: string[] = [];
  let bestDistance = 4;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = [c];
      bestDistance = d;
    } else if (d === bestDistance) best.push(c);
  }
  return best.length ? `did you mean ${best.map((b) => `"${b}"`).join(' or ')}?` : undefined;
}
