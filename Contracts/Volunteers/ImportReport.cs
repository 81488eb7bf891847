namespace Outreach.Contracts;

/// <summary>
/// A row of an import that was not imported: its line in the file (the header is line 1), the column at fault
/// (null when the row as a whole is wrong) and why.
/// </summary>
public sealed record ImportRejection(int Line, string? Field, string Reason);

/// <summary>What <c>POST /api/volunteers/import</c> did: how many volunteers it created and the rows it refused.</summary>
public sealed record ImportReport(int Imported, ImportRejection[] Rejected);
