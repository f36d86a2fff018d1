/** The header the whole-stack tests' stand-in sign-in takes the user from. */
export const STAND_IN_USER_HEADER = 'x-stand-in-user';
