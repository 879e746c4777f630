// Staff roles, each allowed everything the ones before it are: viewer < technician < admin.
//   viewer      reads the board, faults, inventory, consumables, figures
//   technician  also acknowledges, repairs, verifies and closes faults, records loans and spares
//   admin       also manages users and reads the audit log
import type { StaffRole } from '../../dash-api';
import { STAFF_ROLES } from '../../dash-api';

export type { StaffRole } from '../../dash-api';
export { STAFF_ROLES, StaffRoleSchema } from '../../dash-api';
/** What a route needs: a staff role, or `public` (no login). */
export type Access = StaffRole | 'public';

export function roleAllows(role: StaffRole, needed: StaffRole): boolean {
  return STAFF_ROLES.indexOf(role) >= STAFF_ROLES.indexOf(needed);
}
