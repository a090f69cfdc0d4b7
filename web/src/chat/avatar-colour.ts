// An avatar's colour comes from the user id, so two people with the same initials (or, from older
// data, the same name) still look different at a glance. Hues step by the golden angle, so
// neighbouring ids are ~137° apart and no two ids below 144 land within 3° of each other with the
// same lightness; three lightness levels separate most of the rest. OKLCH keeps every colour equally
// dark: white initials keep a contrast of at least 5:1. The @username shown beside a name that reads
// like another (stores/names.ts) is what tells people apart for certain; the colour is the quick cue.
const GOLDEN_ANGLE = 137.508;
const LIGHTNESS = [0.42, 0.48, 0.54];

export function avatarColour(userId: number, deleted = false): string {
  if (deleted) return "oklch(0.5 0 0)";
  const id = Math.abs(Math.trunc(userId));
  const hue = (id * GOLDEN_ANGLE) % 360;
  return `oklch(${LIGHTNESS[id % LIGHTNESS.length]} 0.13 ${hue.toFixed(1)})`;
}
