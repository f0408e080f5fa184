import { MINUTE } from "./calendar";

/** mulberry32: tiny, fast and good enough to vary a demo; the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Inclusive at both ends. */
  int(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(list: readonly T[]): T {
    const value = list[Math.floor(this.next() * list.length)];
    if (value === undefined) throw new Error("Cannot pick from an empty list.");
    return value;
  }

  /** A whole minute in [from, to]; `from` itself when the window is shorter than a minute. */
  time(from: number, to: number): number {
    const lo = Math.ceil(from / MINUTE);
    const hi = Math.floor(to / MINUTE);
    return hi < lo ? from : this.int(lo, hi) * MINUTE;
  }
}

export function hashText(text: string): number {
  // FNV-1a: each team gets its own stream, so changing one team's plan leaves the others alone.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
