/** Injection tokens for the process-wide resources; inject them, never import a singleton. */
export const PRISMA = Symbol('PRISMA');
export const REDIS = Symbol('REDIS');
export const LOGGER = Symbol('LOGGER');
