/**
 * The user population. A user's attributes depend only on the seed and the user's
 * index, so pools of different sizes built from one seed agree on the users they share
 * (the September replay's users are returning August users), and users are built
 * lazily: only those who actually show up cost anything.
 */
import { createHash } from 'node:crypto';
import {
  ACTIVITY_LEVELS,
  COOKING_STYLES,
  SEGMENTS,
  clickRates,
  type AbGroup,
  type ActivityLevel,
  type ClickRates,
  type CookingStyle,
  type Segment,
} from './model.js';
import { kafkaPartition } from './partition.js';
import { Rng, deriveSeed } from './random.js';

/** Partitions of the staged topic (the original ran a 3-broker cluster, one partition each). */
const PARTITIONS = 3;

const USER_STREAM = 1;

/** Spec §1: treatment when md5(user_id) read as an integer is even, i.e. its last byte is. */
export function abGroupOf(userId: string): AbGroup {
  const digest = createHash('md5').update(userId).digest();
  return (digest[digest.length - 1] & 1) === 0 ? 'treatment' : 'control';
}

/** A user profile (segment × activity × cooking style) as it appears in a context. */
export interface Profile {
  /** Dense number of the profile, 0..89, for array-indexed caches. */
  id: number;
  /** `"user_segment":…,"activity_level":…,"cooking_style":…`, ready to splice into a context. */
  contextFields: string;
}

const profiles = new Map<string, Profile>();

/** Shared by all users of one profile rather than one string per user. */
function profileOf(segment: Segment, activity: ActivityLevel, style: CookingStyle): Profile {
  const key = `${segment}/${activity}/${style}`;
  let profile = profiles.get(key);
  if (profile === undefined) {
    profile = {
      id: profiles.size,
      contextFields: `"user_segment":"${segment}","activity_level":"${activity}","cooking_style":"${style}"`,
    };
    profiles.set(key, profile);
  }
  return profile;
}

export class User {
  readonly anonymousId: string;
  readonly segment: Segment;
  readonly activity: ActivityLevel;
  /** Index into COOKING_STYLES.values. */
  readonly style: number;
  readonly partition: number;
  readonly rates: ClickRates;
  readonly profile: Profile;
  private group: AbGroup | undefined;

  constructor(
    readonly userId: string,
    rng: Rng,
  ) {
    this.anonymousId = rng.uuid();
    this.segment = SEGMENTS.sample(rng);
    this.activity = ACTIVITY_LEVELS.sample(rng);
    this.style = COOKING_STYLES.sampleIndex(rng);
    this.partition = kafkaPartition(userId, PARTITIONS);
    this.rates = clickRates(this.segment, this.activity, this.cookingStyle);
    this.profile = profileOf(this.segment, this.activity, this.cookingStyle);
  }

  get cookingStyle(): CookingStyle {
    return COOKING_STYLES.values[this.style];
  }

  /** Only needed inside the A/B window, so the md5 is computed on first use. */
  get abGroup(): AbGroup {
    return (this.group ??= abGroupOf(this.userId));
  }
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

export class UserPool {
  private readonly users: (User | undefined)[];
  private readonly idBase: number;
  private readonly idSpace: number;
  private readonly idStep: number;
  private readonly idShift: number;

  constructor(
    private readonly seed: number,
    readonly size: number,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`user pool size must be a positive integer, got ${size}`);
    this.users = new Array<User | undefined>(size);
    // user_id = base + (i·step + shift) mod space: distinct six-digit ids ("710847")
    // that look random, with more digits only for pools beyond 900,000 users.
    let digits = 6;
    while (9 * 10 ** (digits - 1) < size) digits++;
    this.idBase = 10 ** (digits - 1);
    this.idSpace = 9 * this.idBase;
    let step = (deriveSeed(seed, USER_STREAM, -1) % this.idSpace) | 1;
    while (gcd(step, this.idSpace) !== 1) step += 2;
    this.idStep = step;
    this.idShift = deriveSeed(seed, USER_STREAM, -2) % this.idSpace;
  }

  get(index: number): User {
    let user = this.users[index];
    if (user === undefined) {
      const id = this.idBase + ((index * this.idStep + this.idShift) % this.idSpace);
      user = new User(
        String(id),
        new Rng(deriveSeed(this.seed, USER_STREAM, index), deriveSeed(this.seed, USER_STREAM, index, 1)),
      );
      this.users[index] = user;
    }
    return user;
  }
}
