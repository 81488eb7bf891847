// The shapes of the HTTP API the pages use (docs/API.md), written once for `tsc` over the page scripts
// (JSDoc: `@typedef {import('../../types/api').RequestView} RequestView`). Only what the pages read is here.
// Each interface names, in its doc comment, the schema of the OpenAPI document (/openapi/v1.json) it describes:
// `@schema RequestDto`, or `@schema none` and why. OperationsTests.OpenApi_HoldsEveryPropertyOfThePagesTypes (in
// Tests/Api) fails when a property here is missing from its schema or has another JSON type; keep the format:
// one property a line, `name?: type;`.

/** Outreach.Model.RequestStatus; the pages take the lists from js/lifecycle.js. */
export type RequestStatus = 'New' | 'Offered' | 'Claimed' | 'EnRoute' | 'OnSite' | 'Completed' | 'Cancelled';

export type Category = 'Groceries' | 'Meals' | 'SchoolSupplies' | 'Medicine' | 'Tutoring' | 'Escort' | 'FirstAid' | 'Other';

export type Urgency = 'Emergency' | 'Urgent' | 'Routine';

/** An ISO 8601 time, as the API writes it. */
export type Instant = string;

/** A position (WGS-84). @schema PositionDto */
export interface GeoPoint {
  lat: number;
  lon: number;
}

/** A request's full view (GET /api/requests/{id}, the hub's requestUpdated), as staff and the assignee see it. @schema RequestDto */
export interface RequestView {
  id: string;
  status: RequestStatus;
  escalated: boolean;
  category: Category;
  urgency: Urgency;
  position: GeoPoint;
  address?: string;
  description?: string | null;
  callerPhone?: string;
  workerId?: string | null;
  stationId?: string | null;
  offeredCount: number;
  circleMinutes: number;
  assignedVolunteerId?: string | null;
  assignedVolunteerName?: string | null;
  assignedVolunteerPhone?: string | null;
  assignedEtaMinutes?: number | null;
  createdBy?: string;
  createdAt: Instant;
  claimedAt?: Instant | null;
  enRouteAt?: Instant | null;
  onSiteAt?: Instant | null;
  completedAt?: Instant | null;
  closedAt?: Instant | null;
  deadlineAt?: Instant | null;
  version: number;
}

/** What a volunteer sees of a request before claiming it: no address, phone or description. @schema OfferDto */
export interface Offer {
  requestId: string;
  category: Category;
  urgency: Urgency;
  etaMinutes: number;
  distanceM: number;
  approxPosition: GeoPoint;
  createdAt: Instant;
  status: RequestStatus;
}

/** A station on the map (GET /api/map/snapshot). @schema StationResponse */
export interface Station {
  id: string;
  name: string;
  position: GeoPoint;
  circleRadiusM: number;
}

/** A volunteer on the map (GET /api/map/view, the hub's volunteerMoved and volunteerDuty). @schema MapVolunteer */
export interface MapVolunteer {
  volunteerId: string;
  /** Absent from a volunteerMoved event about a volunteer the page has not seen yet. */
  name?: string;
  onDuty: boolean;
  position?: GeoPoint | null;
  skills: string[];
  load: number;
  capacity: number;
  at?: Instant | null;
}

/** One page of GET /api/map/snapshot: the stations and a page of the open requests (`next`: the cursor of the next page). @schema MapSnapshot */
export interface MapSnapshot {
  seq: number;
  stations: Station[];
  requests: RequestView[];
  next?: string | null;
}

/** One line of GET /api/requests/{id}/timeline. @schema TimelineEntry */
export interface TimelineEntry {
  at: Instant;
  actor: string;
  from?: RequestStatus | null;
  to?: RequestStatus | null;
  note?: string | null;
  event?: string | null;
  details?: Record<string, string> | null;
}

/** A ProblemDetails answer (400, 403, 404, 409, 503). @schema none: the extensions below are not in the document. */
export interface Problem {
  title?: string;
  detail?: string;
  status?: number;
  errors?: Record<string, string[]>;
  field?: string;
  outcome?: string;
  requestStatus?: RequestStatus;
  /** 409 on an assignment that needs force: true (off duty, lacks the skill). */
  needsConfirmation?: boolean;
  /** 429 on the login: how long to wait. */
  retryAfterSeconds?: number;
}

/**
 * The answer of a live-hub method that does what an API request does (Claim, ReportPosition): the status and body the
 * API would have given (the resource, or a Problem), and for 429/503 the seconds to wait.
 * @schema none: the hub is not in the OpenAPI document.
 */
export interface LiveReply {
  status: number;
  body: Record<string, unknown> | null;
  retryAfterSeconds?: number | null;
}

/** A day of a weekly care plan (schedule.days). */
export type DayWord = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';

/** A care plan's time of day, China Standard Time, "HH:mm" each. @schema CareWindowBody */
export interface CareWindow {
  from: string;
  to: string;
}

/** A care plan's schedule: weekly on days, or every n days from the start date. @schema CareScheduleBody */
export interface CareSchedule {
  kind: 'weekly' | 'everyNDays';
  days?: DayWord[] | null;
  n?: number | null;
  window: CareWindow;
}

/** Body of POST /api/workers/{id}/care-plans and PUT …/{planId}. @schema CarePlanBody */
export interface CarePlanBody {
  category: Category;
  urgency?: Urgency;
  schedule: CareSchedule;
  /** yyyy-MM-dd (China). */
  startDate: string;
  endDate?: string | null;
  paused: boolean;
  position: GeoPoint;
  address: string;
  notes?: string | null;
  preferredVolunteerId?: string | null;
}

/** One occurrence of a plan: its China date, its window as instants, and the id its request has (or will have). @schema CareOccurrenceDto */
export interface CareOccurrence {
  date: string;
  from: Instant;
  to: Instant;
  requestId: string;
}

/** A care plan (GET /api/workers/{id}/care-plans and …/{planId}). @schema CarePlanDto */
export interface CarePlan {
  id: string;
  workerId: string;
  category: Category;
  urgency: Urgency;
  schedule: CareSchedule;
  startDate: string;
  endDate?: string | null;
  paused: boolean;
  position: GeoPoint;
  address: string;
  notes: string;
  preferredVolunteerId?: string | null;
  createdAt: Instant;
  updatedAt: Instant;
  updatedBy: string;
  deleted?: boolean;
  /** The next few occurrences (none when paused or ended). */
  next: CareOccurrence[];
}

/** One line of GET /api/care-plans/upcoming (coordinators): no phone, no address. @schema UpcomingCareDto */
export interface UpcomingCare {
  planId: string;
  workerId: string;
  workerName: string;
  category: Category;
  urgency: Urgency;
  date: string;
  from: Instant;
  to: Instant;
  preferredVolunteerId?: string | null;
  preferredVolunteerName?: string | null;
  requestId: string;
  /** Null while the occurrence is not a request yet. */
  requestStatus?: RequestStatus | null;
  assignedVolunteerId?: string | null;
  assignedVolunteerName?: string | null;
  hasHelper: boolean;
}

/** One volunteer as GET /api/volunteers/picker offers them to hotline staff: no phone. @schema VolunteerChoice */
export interface VolunteerChoice {
  id: string;
  name: string;
  skills: Category[];
  stationId?: string | null;
  onDuty: boolean;
}

/** A coordinator's correction of a service record. @schema ServiceCorrectionDto */
export interface ServiceCorrection {
  minutes: number;
  reason: string;
  by?: string | null;
  at: Instant;
}

/** One service record (GET /api/service-records, PUT /api/service-records/{id}). @schema ServiceRecordDto */
export interface ServiceRecord {
  id: string;
  requestId: string;
  seq: number;
  volunteerId: string;
  volunteerName: string;
  stationId?: string | null;
  category: Category;
  startedAt: Instant;
  completedAt: Instant;
  /** What counts: the corrected minutes when corrected, else the recorded ones. */
  minutes: number;
  hours: number;
  recordedMinutes: number;
  satisfied?: boolean | null;
  rating?: number | null;
  correction?: ServiceCorrection | null;
}
