namespace Outreach.Web.Audit;

/// <summary>The kinds of access the audit records (column <c>action</c>) and the kinds of subject.</summary>
public static class AuditActions
{
    public const string FileRead = "file.read";
    public const string FileList = "file.list";
    public const string FileSearch = "file.search";
    public const string FileCreate = "file.create";
    public const string FileUpdate = "file.update";
    public const string PhoneLookup = "phone.lookup";
    public const string RequestRead = "request.read";
    public const string RequestCreate = "request.create";
    public const string MapSnapshot = "map.snapshot";
    public const string AuditRead = "audit.read";
    /// <summary>The family opened their status link (actor "family (status link)", subject the request).</summary>
    public const string StatusRead = "status.read";
    /// <summary>A coordinator corrected a service record's time (detail: the minutes before and after, and the reason).</summary>
    public const string ServiceCorrect = "service.correct";
    /// <summary>Care plans of a family file (subject: the file; detail: which plan).</summary>
    public const string CarePlanRead = "careplan.read";
    public const string CarePlanCreate = "careplan.create";
    public const string CarePlanUpdate = "careplan.update";
    public const string CarePlanDelete = "careplan.delete";

    /// <summary>Subject kinds (column <c>subject_kind</c>).</summary>
    public const string File = "file";
    public const string Request = "request";
    public const string Map = "map";
    public const string Audit = "audit";
    public const string Service = "service";
}
