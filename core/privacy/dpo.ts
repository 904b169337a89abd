// The Data Protection Officer's contact (privacy promise P25), shown on /privacy and in every privacy email.
export const DPO_CONTACT = {
  team: "Privacy Team (Data Protection Officer)",
  email: "privacy@mindnamo.com",
  address: "123 Wellness Blvd, Tech Park, Bangalore, India — 560001",
} as const;

/** One line for the foot of privacy emails. */
export const DPO_LINE = `Questions about your data? Our Data Protection Officer: ${DPO_CONTACT.email}, ${DPO_CONTACT.address}.`;
