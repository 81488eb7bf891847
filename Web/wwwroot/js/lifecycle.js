// @ts-check
// A help request's lifecycle, as the server has it: the statuses of Outreach.Model.RequestStatus (in its
// order), which of them are open or closed, and the step an assigned volunteer may report next
// (Outreach.Model.Lifecycle.NextStep). The one place the pages learn these words: a test
// (Tests/Unit/LifecycleModuleTests.cs) fails when this module and the C# drift apart.

/** @typedef {import('../../types/api').RequestStatus} RequestStatus */

/** Every status, in the order of the C# enum. @type {readonly RequestStatus[]} */
export const STATUSES = Object.freeze(['New', 'Offered', 'Claimed', 'EnRoute', 'OnSite', 'Completed', 'Cancelled']);

/** Done or withdrawn: nothing happens to the request any more. @type {readonly RequestStatus[]} */
export const CLOSED = Object.freeze(['Completed', 'Cancelled']);

/** Statuses in which a volunteer carries the request. @type {readonly RequestStatus[]} */
export const ASSIGNED = Object.freeze(['Claimed', 'EnRoute', 'OnSite']);

/** Offered to volunteers or carried by one: what the desk, the map and the operator's list follow. @type {readonly RequestStatus[]} */
export const OPEN = Object.freeze(['Offered', ...ASSIGNED]);

/** The way a request goes when all goes well, from the offer to done. @type {readonly RequestStatus[]} */
export const PATH = Object.freeze([...OPEN, 'Completed']);

/** @type {Readonly<Partial<Record<RequestStatus, RequestStatus>>>} */
const NEXT = Object.freeze({ Claimed: 'EnRoute', EnRoute: 'OnSite', OnSite: 'Completed' });

/**
 * The only status an assigned volunteer may report next, or null when none is left.
 * @param {string} status
 * @returns {RequestStatus | null}
 */
export const nextStep = status => NEXT[/** @type {RequestStatus} */ (status)] ?? null;

/** @param {string} status */
export const isOpen = status => OPEN.includes(/** @type {RequestStatus} */ (status));

/** @param {string} status */
export const isClosed = status => CLOSED.includes(/** @type {RequestStatus} */ (status));

/** @param {string} status */
export const isAssigned = status => ASSIGNED.includes(/** @type {RequestStatus} */ (status));
