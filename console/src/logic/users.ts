import type { TenantUser, UserChange } from '../api/tenant';

/** The edit form's fields, as typed. */
export interface UserForm {
  firstName: string;
  lastName: string;
  email: string;
  role: string;
  /** One a line or separated by commas; null: not known (not loaded), so never sent. */
  permissions: string | null;
}

export const formOfUser = (user: TenantUser, permissions: string[] | null): UserForm => ({
  firstName: user.first_name ?? '',
  lastName: user.last_name ?? '',
  email: user.email,
  role: user.role,
  permissions: permissions === null ? null : permissions.join('\n'),
});

export const parsePermissions = (text: string) => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

/** What the save sends (only what changed) and whether it ends the user's tokens. */
export interface PlannedChange {
  change: UserChange;
  /** Role changed or a permission taken away: auth-service stops their tokens at once. */
  endsTokens: boolean;
  /** The permissions taken away, for the confirmation. */
  removed: string[];
}

export function planUserChange(user: TenantUser, before: string[] | null, form: UserForm): PlannedChange {
  const change: UserChange = {};
  const firstName = form.firstName.trim();
  const lastName = form.lastName.trim();
  const email = form.email.trim();
  if (firstName !== (user.first_name ?? '')) change.first_name = firstName;
  if (lastName !== (user.last_name ?? '')) change.last_name = lastName;
  if (email !== user.email) change.email = email;
  if (form.role !== user.role) change.role = form.role;
  let removed: string[] = [];
  if (before !== null && form.permissions !== null) {
    const after = parsePermissions(form.permissions);
    const same = after.length === before.length && after.every((p) => before.includes(p));
    if (!same) {
      change.permissions = after;
      removed = before.filter((p) => !after.includes(p));
    }
  }
  // A new role without permissions named gets that role's defaults, which may take some away.
  const endsTokens = change.role !== undefined || removed.length > 0;
  return { change, endsTokens, removed };
}
