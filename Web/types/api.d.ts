// The shapes of the HTTP API the pages use (docs/API.md), written once for `tsc --noEmit` over the
// page scripts (JSDoc: `@typedef {import('../../types/api').RequestStatus} RequestStatus`).

/** Outreach.Model.RequestStatus; the pages take the lists from js/lifecycle.js. */
export type RequestStatus = 'New' | 'Offered' | 'Claimed' | 'EnRoute' | 'OnSite' | 'Completed' | 'Cancelled';
