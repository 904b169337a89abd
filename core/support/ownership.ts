// Which account a ticket without one belongs to follows the address: a ticket sent through the contact form (or
// logged from a call or an email) from an address that is verified on an account is that account's (tickets.ts,
// `mine`). When the account moves to another address, the old address's tickets must stay with it: otherwise the
// next account to verify that address would read them, and their author would lose them.
import type { PrismaClient } from "../generated/prisma/client.ts";

/**
 * Attaches to `userId` the tickets with no account that were sent from `email` (case-insensitive): call it, in the
 * same transaction, before the account's verified address changes away from `email`.
 */
export function keepTicketsOfAddress(db: PrismaClient, userId: string, email: string) {
  return db.supportTicket.updateMany({
    where: { requesterId: null, contactEmail: { equals: email, mode: "insensitive" } },
    data: { requesterId: userId },
  });
}
