using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.Extensions.Options;
using Outreach.Model;
using Outreach.Volunteers;
using Outreach.Web.Auth;
using Outreach.Web.Dispatch;
using Outreach.Web.Infrastructure;
using Outreach.Web.Pages;
using Outreach.Cluster;

namespace Outreach.Web.Hours;

/// <summary>
/// The printable service certificate (志愿服务证明) of one volunteer for a period: <c>GET /certificate?volunteerId=&amp;from=&amp;to=</c>.
/// Rendered on the server in Chinese, every value HTML-encoded; styled by <c>/css/certificate.css</c> (print rules
/// included) and given its print button by <c>/js/certificate.js</c>, so the strict CSP (no inline script or style) holds.
/// Coordinators ask for any volunteer; a volunteer only for themselves (<c>volunteerId</c> omitted or their own).
/// </summary>
public static class CertificatePage
{
    public static IEndpointRouteBuilder MapCertificatePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/certificate", Render).RequireAuthorization().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> Render(string? volunteerId, string? from, string? to, ClaimsPrincipal user,
        IWebHostEnvironment env, ServiceRecordStore store, IGrainFactory grains, IOptions<CertificateOptions> options,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        var isCoordinator = user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin);
        var own = user.IsInRole(Roles.Volunteer) ? user.VolunteerIdOf() : null;
        if (!isCoordinator && own is null)
            return await PageEndpoints.ForbiddenAsync(env);
        Guid? asked = null;
        if (!string.IsNullOrEmpty(volunteerId))
        {
            if (!Guid.TryParse(volunteerId, out var parsed))
                return Problems.Field("volunteerId", "A volunteer id is a GUID.");
            asked = parsed;
        }
        if (asked is null && own is null)
            return Problems.Field("volunteerId", "Name the volunteer whose certificate to print.");
        var subject = asked ?? own!.Value;
        if (!isCoordinator && subject != own)
            return await PageEndpoints.ForbiddenAsync(env);
        var now = clock.GetUtcNow();
        if (ServicePeriod.Read(from, to, now, out var field, out var why) is not { } period)
            return Problems.Field(field!, why!);
        if (await grains.Get<IVolunteerGrain>(subject).GetAsync() is not { } volunteer)
            return Problems.NotFound($"There is no volunteer {subject}.");

        var records = await store.ListAsync(new ServiceRecordFilter(period, null, subject), cancellationToken);
        var html = Html(volunteer.Profile.Name, period, records, options.Value.UnionName, now);
        return new NoCacheResult(TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8));
    }

    /// <summary>The certificate's page.</summary>
    public static string Html(string name, ServicePeriod period, IReadOnlyCollection<ServiceRecordDto> records, string union, DateTimeOffset now)
    {
        var e = HtmlEncoder.Default;
        var total = ServiceTotal.Of(records.Count, records.Sum(r => r.Minutes));
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="zh-CN">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>志愿服务证明 · {e.Encode(name)}</title>
              <link rel="icon" href="/favicon.svg" type="image/svg+xml">
              <link rel="stylesheet" href="/css/certificate.css">
              <script type="module" src="/js/certificate.js"></script>
            </head>
            <body class="page-certificate">
              <p class="certificate-tools"><button id="print" type="button">打印</button></p>
              <main class="certificate">
                <h1>志愿服务证明</h1>
                <p class="certificate-text">兹证明 <strong id="certificate-name">{e.Encode(name)}</strong> 同志于
                  <span id="certificate-period">{ChineseDate(period.From)}至{ChineseDate(period.To)}</span>期间参加{e.Encode(union)}“15分钟服务圈”志愿服务，
                  累计服务 <strong id="certificate-count">{total.Count}</strong> 次，服务时长
                  <strong id="certificate-hours">{Number(total.Hours)}</strong> 小时。</p>
                <p class="certificate-text">特此证明。</p>

            """);
        if (records.Count > 0)
        {
            html.Append("""
                    <table class="certificate-records" id="certificate-records">
                      <thead><tr><th>完成日期</th><th>服务类别</th><th>服务时长（小时）</th><th>家属回访</th></tr></thead>
                      <tbody>

                """);
            foreach (var record in records.OrderBy(r => r.CompletedAt))
            {
                var day = DateOnly.FromDateTime(record.CompletedAt.ToOffset(IsoTime.ChinaOffset).DateTime);
                var followUp = record.Satisfied switch { true => "满意", false => "不满意", null => "—" };
                html.Append(CultureInfo.InvariantCulture,
                    $"          <tr><td>{ChineseDate(day)}</td><td>{CategoryNames.Chinese(record.Category)}</td><td>{Number(record.Hours)}</td><td>{followUp}</td></tr>\n");
            }
            html.Append("""
                      </tbody>
                    </table>

                """);
        }
        var today = DateOnly.FromDateTime(now.ToOffset(IsoTime.ChinaOffset).DateTime);
        html.Append(CultureInfo.InvariantCulture, $"""
                <p class="certificate-issuer" id="certificate-issuer">{e.Encode(union)}</p>
                <p class="certificate-date">{ChineseDate(today)}</p>
              </main>
            </body>
            </html>

            """);
        return html.ToString();
    }

    private static string ChineseDate(DateOnly day) => string.Create(CultureInfo.InvariantCulture, $"{day.Year}年{day.Month}月{day.Day}日");

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
