// The values the help texts, hints and READMEs use as examples. The phone numbers are in Ofcom's range
// reserved for drama (020 7946 0000-0999): valid for the phone parser (libphonenumber's real numbering
// plans), never a real person's number. (Ofcom's drama MOBILE range, 07700 900xxx, is not a valid number
// for the parser, so it cannot be used.) The ids are placeholders: the examples test replaces them with
// ids of its sandbox.

/** A reserved fictional number in E.164. */
export const EXAMPLE_PHONE_E164 = "+442079460123";
/** The same number as typed in the UK (a location with region GB). */
export const EXAMPLE_PHONE_NATIONAL = "020 7946 0123";
/** The region EXAMPLE_PHONE_NATIONAL is read with. */
export const EXAMPLE_PHONE_REGION = "GB";
/** A placeholder GHL location id. */
export const EXAMPLE_LOCATION_ID = "abc123";
/** A placeholder GHL contact id. */
export const EXAMPLE_CONTACT_ID = "Abc123ContactId";
