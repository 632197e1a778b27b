// The shape of one row of PS3.15 Table E.1-1 as the generated basic-profile-table.ts holds it.

/** D dummy · Z empty · X remove · K keep · C clean · U replace UID; combinations resolve per attribute (profile.ts). */
export type BasicProfileCode = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'X/Z' | 'X/D' | 'Z/D' | 'X/Z/D' | 'X/Z/U*';

export interface ProfileRow {
  /** 'ggggeeee' in lower-case hex; 'xx' stands for any group of a repeating group (50xx, 60xx). */
  id: string;
  basic: string;
  name: string;
  options?: Partial<Record<string, string>>;
}
