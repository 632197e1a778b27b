// C-arm projection in the words cardiologists use: positioner primary angle (0018,1510) positive toward the
// patient's left (LAO) and negative toward the right (RAO); secondary angle (0018,1511) positive cranial (CRA),
// negative caudal (CAU). Whole degrees, as angiography labels are read.

export function projectionLabel(primary: number | null | undefined, secondary: number | null | undefined): string | null {
  if (primary == null && secondary == null) return null;
  const parts: string[] = [];
  if (primary != null) {
    const degrees = Math.round(Math.abs(primary));
    parts.push(degrees === 0 ? 'AP' : `${primary > 0 ? 'LAO' : 'RAO'} ${degrees}`);
  }
  if (secondary != null) {
    const degrees = Math.round(Math.abs(secondary));
    if (degrees !== 0) parts.push(`${secondary > 0 ? 'CRA' : 'CAU'} ${degrees}`);
  }
  return parts.join(' ');
}
