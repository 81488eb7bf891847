// @ts-check
// A request's other words, as the server has them: the categories (Outreach.Model.HelpCategory), urgencies
// (Urgency) and travel modes (TravelMode), each in its enum's order. The one place the pages learn them: a test
// (Tests/Unit/WordsModuleTests.cs) fails when this module and the C# drift apart. A page that shows them in
// another order (the hotline's most asked first) orders these words; it does not list its own.

/** @typedef {import('../../types/api').Category} Category */
/** @typedef {import('../../types/api').Urgency} Urgency */

/** @type {readonly Category[]} */
export const CATEGORIES = Object.freeze(['Groceries', 'Meals', 'SchoolSupplies', 'Medicine', 'Tutoring', 'Escort', 'FirstAid', 'Other']);

/** Most urgent first. @type {readonly Urgency[]} */
export const URGENCIES = Object.freeze(['Emergency', 'Urgent', 'Routine']);

/** @type {readonly string[]} */
export const TRAVEL_MODES = Object.freeze(['Walk', 'Bike', 'EBike', 'Car']);

/**
 * The words of `words` that `first` names, in that order, then the others in theirs.
 * @template {string} T
 * @param {readonly T[]} words
 * @param {readonly string[]} first
 * @returns {T[]}
 */
export const firstOf = (words, first) => [
  ...first.flatMap(f => words.filter(w => w === f)),
  ...words.filter(w => !first.includes(w)),
];
