// The back-office permission vocabulary, shared by the tRPC server (which enforces it) and the console (which
// only uses it to decide what to show). Deny by default: a role has exactly the permissions listed here. This is
// the role table of docs/architecture.md.
export const PERMISSIONS = [
  "tickets:read",
  "tickets:write",
  "audit:read",
  "privacy:read",
  "privacy:decide",
  "staff:manage",
  "categories:manage",
  "experts:manage",
  "newsletter:send",
  "errors:read",
  "security:read",
  "reviews:moderate",
  "analytics:read",
  "incidents:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export type RoleName = "USER" | "EXPERT" | "SUPPORT" | "DPO" | "ADMIN";
export const STAFF_ROLE_NAMES = ["SUPPORT", "DPO", "ADMIN"] as const satisfies readonly RoleName[];

export const ROLE_PERMISSIONS: Record<RoleName, readonly Permission[]> = {
  USER: [],
  EXPERT: [],
  // Tickets, and the requester's name, email and account status through the ticket. No bookings, sessions,
  // privacy requests or exports.
  SUPPORT: ["tickets:read", "tickets:write", "reviews:moderate"],
  // Privacy requests, breach incidents and the audit log. No staff role changes.
  DPO: ["privacy:read", "privacy:decide", "incidents:manage", "audit:read"],
  // Staff, experts, categories, the audit log. No privacy decisions, no ticket contents.
  ADMIN: [
    "staff:manage",
    "categories:manage",
    "experts:manage",
    "audit:read",
    "errors:read",
    "security:read",
    "newsletter:send",
    "analytics:read",
  ],
};

export function permissionsOf(role: RoleName): readonly Permission[] {
  return ROLE_PERMISSIONS[role] ?? [];
}

export function can(role: RoleName, permission: Permission): boolean {
  return permissionsOf(role).includes(permission);
}

export const isStaffRole = (role: RoleName) => (STAFF_ROLE_NAMES as readonly RoleName[]).includes(role);
