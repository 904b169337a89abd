// The one door from routes to core. Remix replaces *.server modules with empty ones in the browser build, so
// nothing behind this file (Prisma, bcrypt, sharp, node:*) can reach a client bundle. Routes stay thin:
// guard -> parse -> core -> render.
import type { AppLoadContext } from "@remix-run/node";
import { coreDeps, type CoreDeps } from "@core/platform/deps.ts";
export {
  listCategories,
  listPublishedExperts,
  listExpertLanguages,
  getPublishedExpert,
  expertIdBySlug,
  getExpertPhoto,
  publishedExpertIds,
  recommendedExperts,
} from "@core/catalog/index.ts";
export { listOutbox } from "@core/platform/mail/index.ts";
export { isDomainError, DomainError, httpStatusOf, type DomainErrorCode } from "@core/errors/index.ts";
export { describeDevice } from "@core/identity/device.ts";
export { firstName, initials } from "@core/identity/names.ts";
export { chooseRegion, helplinesFor, isRegion, REGIONS, regionNames, type Region } from "@core/crisis/helplines.ts";
export { ownerDeviceToken, readOwnerDevice } from "@core/identity/owner-device.ts";
export { randomToken } from "@core/identity/crypto.ts";
export {
  isFreshlyAuthenticated,
  validateSessionToken,
  listUserSessions,
  revokeOwnSession,
  invalidateUserSessions,
  isStaff,
  type ValidSession,
} from "@core/identity/sessions.ts";
export * as accounts from "@core/identity/accounts.ts";
export type { AccountDeps, Requester } from "@core/identity/accounts.ts";
export {
  setAvatar,
  removeAvatar,
  getAvatar,
  avatarVersion,
  avatarRendition,
  AVATAR_MAX_BYTES,
  AVATAR_RENDITIONS,
} from "@core/identity/avatar.ts";
export { accountPage } from "@core/identity/account-page.ts";
export { appRouter } from "@admin/server/root.ts";
export { createInnerContext } from "@admin/server/trpc.ts";
// bookings (user side)
export {
  bookSlot,
  cancelBooking,
  rescheduleBooking,
  listUserBookings,
  getUserBooking,
} from "@core/scheduling/bookings.ts";
export { bookingIcs } from "@core/notifications/ics.ts";
export { nextSlotsForExperts } from "@core/scheduling/schedule.ts";
export { BOOKING_DAYS } from "@core/catalog/booking-page.ts";
export { formatSlot } from "@core/scheduling/slots.ts";
export { isValidTimeZone } from "@core/scheduling/time-zone.ts";
export { localDateOf } from "@core/scheduling/zoned-time.ts";
export { remember } from "@core/time/memo.ts";
export {
  recordCategoryBrowsed,
  recordExpertEngaged,
  recordPreferenceBySlug,
  listPreferences,
  clearPreferences,
} from "@core/scheduling/preferences.ts";
export { afterBooked, afterCancelled, afterRescheduled, type NotificationDeps } from "@core/notifications/bookings.ts";
// expert workspace
export * as expertWorkspace from "@core/catalog/expert-workspace.ts";
export * as support from "@core/support/tickets.ts";
export type { SupportDeps } from "@core/support/tickets.ts";
// live rooms
export {
  roomAccess,
  postPublicKey,
  getKeys,
  issueToken,
  liveKitSettings,
  recordWebhook,
  settleBooking,
  listSessionMetadata,
} from "@core/rooms/service.ts";
export { verifyWebhook } from "@core/rooms/webhooks.ts";
export { joinWindow } from "@core/rooms/tokens.ts";
// error reports and security (P7, P14)
export { recordServerError } from "@core/observability/errors.ts";
export { reportNotMe } from "@core/identity/new-device.ts";
// feedback and anonymous usage metrics (P4, P6)
export * as reviews from "@core/feedback/reviews.ts";
export { SURVEYS, submitSurvey } from "@core/feedback/surveys.ts";
// opt-out, newsletter, consent (P24)
export {
  getEmailPreferences,
  setEmailPreferences,
  unsubscribeWithLink,
  INVALID_LINK,
} from "@core/privacy/communications.ts";
export { recordAnalyticsConsent, listOwnConsents, consentInputSchema } from "@core/privacy/consent.ts";
export { DPO_CONTACT } from "@core/privacy/dpo.ts";
export { POLICY_CHANGES, PRIVACY_POLICY_VERSION, policyDate } from "@core/privacy/policy.ts";
export { PROCESSORS, processorsFor, type MailTransport, type Processor } from "@core/privacy/processors.ts";
export {
  giveHealthConsent,
  hasHealthConsent,
  healthConsentState,
  withdrawHealthConsent,
  HEALTH_CONSENT_TEXT,
  HEALTH_CONSENT_VERSION,
} from "@core/privacy/health-consent.ts";
export { verifyUnsubscribe as verifyUnsubscribeLink } from "@core/notifications/unsubscribe.ts";
// access, correction, deletion and the privacy center (P21-P23)
export * as privacyRequests from "@core/privacy/requests.ts";
export type { PrivacyDeps } from "@core/privacy/requests.ts";
export * as privacyIntake from "@core/privacy/intake.ts";
export type { IntakeDeps } from "@core/privacy/intake.ts";
export { exportUserData, exportUserDataJson } from "@core/privacy/export.ts";
export { erasurePlan, deletionInventory } from "@core/privacy/inventory.ts";
export { erasureKeysFrom, runDueErasures } from "@core/privacy/erase.ts";
export { coreDeps, type CoreDeps } from "@core/platform/deps.ts";

/**
 * Core's deps for this request (core/platform/deps.ts): routes and helpers take the database handle and the other
 * services from here, never from `context.services.db`, so no query is written outside core/. It lives in this
 * file rather than its own .server module, which would cost every route that imports it an empty browser chunk.
 */
export function deps(context: AppLoadContext): CoreDeps {
  return coreDeps(context.services);
}
export { setAccountTimeZone } from "@core/identity/users.ts";
export { auditActionForPerson, type AuditAction } from "@core/audit/actions.ts";
