// The inline script (nonce'd, in the document head) that tells the server the browser's time zone: it sets the
// `mn_tz` browser-session cookie once per visit. Kept here, not in a .server module, because the client renders
// the same <script> when it hydrates.
export const ZONE_SCRIPT = `try{if(!/(^|;\\s*)mn_tz=/.test(document.cookie)){var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(z)document.cookie="mn_tz="+encodeURIComponent(z)+";path=/;samesite=lax"+(location.protocol==="https:"?";secure":"")}}catch(e){}`;
