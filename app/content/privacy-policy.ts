// The published privacy policy: our promise to users. Every sentence must stay true of the product;
// docs/privacy-promises.md maps each promise (P1..P25) to the tests that prove it.
// Its version and dated changes live in core/privacy/policy.ts: the server emails every account when it changes.

export const privacyPolicyText =
  "1. Introduction & Purpose\nWelcome to Mind Namo. This Privacy Policy explains how we collect, " +
  "use, disclose, and safeguard your information when you visit our Platform or use any of our " +
  "services. We understand that mental wellness involves deeply personal matters, and we treat " +
  "your privacy with the highest degree of responsibility and respect.\nThe purpose of this " +
  "document is to provide complete transparency on:\n- What data we collect and why\n- How your " +
  "information is used internally\n- Who we share your data with and under what conditions\n- Your " +
  "rights regarding your personal data\n- How you can control, delete, or export your data\n- How " +
  "we maintain security and compliance\nBy accessing our Platform, you confirm that you have read, " +
  "understood, and agree to all aspects of this Privacy Policy. If you do not agree, please " +
  "discontinue using our platform immediately.\nSummary: We collect only the information required " +
  "to run our services, we do not sell your data, we use strict security measures, and you may " +
  "request deletion or access at any time.\n2. Information We Collect\nWe collect information to " +
  "provide services effectively, ensure security, personalize your experience, and improve our " +
  "overall offerings. The information we gather falls into three major categories.\n2.1 " +
  "Information You Provide Directly\nThis includes information you voluntarily provide while " +
  "creating an account, interacting with Experts, or communicating with us.\n- Account Details: " +
  "Name, email address, and profile picture.\n- Wellness Preferences: Categories you browse and " +
  "Experts you engage with, only with your explicit consent (this is health information; you can " +
  "withdraw it in your privacy center).\n- Support Requests: Emails, messages, or calls made to " +
  "our customer support team.\n- Feedback & Surveys: Reviews, ratings, and responses provided " +
  "during improvement surveys.\n2.2 Information Collected Automatically\nTo ensure security, " +
  "stability, and platform optimization, we automatically collect:\n- Device & Technical Data: " +
  "Browser version, OS, device model, IP address.\n- Usage Metrics: Time spent on pages, clicks, " +
  "navigation flows.\n- Error Logs: Crash reports, loading issues, failed API calls.\n- Cookies & " +
  "Identifiers: Session cookies and authentication tokens.\n2.3 Sensitive & Session Data\nWe do " +
  "not record, store, or access the audio/video content of your sessions. WebRTC sessions are " +
  "end-to-end encrypted and inaccessible to our servers.\nWe may store session metadata such " +
  "as:\n- Expert selected\n- Session duration\n- Date & timestamps\n- Selected topic or " +
  "category\n3. How We Use Your Information\nWe use your data to provide services, maintain " +
  "security, personalize your experience, and continuously improve our offerings.\n3.1 Core " +
  "Service Delivery\n- Create and manage your user account.\n- Enable secure login and " +
  "authentication.\n- Facilitate browsing, booking, and joining expert sessions.\n- Send " +
  "confirmations, reminders, and updates.\n3.2 Safety, Compliance & Prevention\n- Detect fraud and " +
  "prevent unauthorized access.\n- Monitor activity to ensure platform safety.\n- Comply with " +
  "legal requests and government regulations.\n- Protect the integrity of user data.\n4. Data " +
  "Sharing & Disclosure\nZero Data Selling Commitment\nWe do not sell or rent your data to " +
  "advertisers, brokers, or any external marketing firms. Your data stays strictly within our " +
  "operational ecosystem.\nHowever, we share essential information with the following categories " +
  "of partners:\n4.1 Service Providers\n- Cloud Providers (our hosting and managed database " +
  "provider): Hosting and database operations.\n- Communication Tools (Resend): Sending OTPs and " +
  "emails.\n- Video (LiveKit): Relaying the end-to-end encrypted audio and video of sessions; it " +
  "receives a pseudonym for each booking and your first name, never your account id.\n- The full " +
  "list of providers, what each receives, where it is and the basis for any transfer: " +
  "/privacy/processors.\n- Analytics Platforms: Understanding anonymous user behavior to improve " +
  "the app.\n4.2 Expert Interactions\nExperts only receive the minimum data necessary to conduct " +
  "sessions:\n- Your first name\n- Chosen category\n- Session details\n5. Data Security " +
  "Measures\nWe employ advanced, industry-leading security protocols to safeguard your data " +
  "throughout its lifecycle.\n- SSL/TLS encryption for all transmitted data\n- Password hashing " +
  "(Bcrypt) for account security\n- Regular vulnerability assessments\n- Strict role-based access " +
  "controls for internal tools\nNote: While we strive for maximum security, no method of " +
  "transmission over the Internet is 100% secure.\n6. Your Rights & Choices\nAs a user, you retain " +
  "full control over your data. You have the right to:\n- Access: Request a copy of your stored " +
  "data.\n- Correction: Update or edit inaccurate personal details via your profile.\n- Deletion: " +
  'Request full deletion of your account and data ("Right to be Forgotten").\n- Opt-Out: ' +
  "Unsubscribe from non-essential communications like newsletters.\n7. Contact Us\nIf you have " +
  "questions, concerns, or wish to exercise any privacy rights, please reach out to our Data " +
  "Protection Officer:\nPrivacy Team\nEmail: privacy@mindnamo.com\nAddress: 123 Wellness Blvd, Tech " +
  "Park, Bangalore, India — 560001";

/** The policy's promises in our own words, shown above the full text on /privacy (docs/privacy-promises.md). */
export const privacyPromisesInOurWords: { title: string; text: string }[] = [
  {
    title: "We never sell your data",
    text:
      "No advertisers, brokers or marketing firms get anything from us, and no third-party tracking " +
      "or advertising code runs on our site.",
  },
  {
    title: "Only what the service needs",
    text:
      "Your name, email address and an optional picture; the topics and experts you look at (you " +
      "can clear them); your bookings and support requests.",
  },
  {
    title: "Your sessions stay between you and your expert",
    text:
      "Audio and video are end-to-end encrypted; our servers never record, store or hear them. We " +
      "keep only who, when, how long and the topic.",
  },
  {
    title: "Experts see the minimum",
    text: "Your first name, the topic you chose and the session details — never your email address, surname or account id.",
  },
  {
    title: "One cookie",
    text: "Only the sign-in session cookie. Anonymous analytics run only if you allow them, and you can change that choice at any time.",
  },
  {
    title: "Emails you can control",
    text:
      "Reminders are optional, the newsletter is off unless you turn it on, and every optional email " +
      "has a one-click unsubscribe that works without signing in.",
  },
  {
    title: "Your rights",
    text:
      "See and download everything we hold about you, correct it, or have it deleted, from your privacy " +
      "center. Every staff access to your data is logged, and you can see it.",
  },
  {
    title: "Kept only as long as needed",
    text: "Expired sign-ins and codes are deleted automatically; every kind of data has a written retention period.",
  },
];
