/** Row mappings the SQL stores share. Browser-safe. */
import type { User } from '../types.js';

/** A users row: name and email are NULL when unknown. */
export interface UserRow {
  user_id: string;
  name: string | null;
  email: string | null;
}

export function toUser(row: UserRow): User {
  const user: User = { id: row.user_id };
  if (row.name !== null) user.name = row.name;
  if (row.email !== null) user.email = row.email;
  return user;
}
