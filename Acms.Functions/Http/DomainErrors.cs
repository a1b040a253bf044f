using Acms.Domain.Common;
using Microsoft.AspNetCore.Mvc;

namespace Acms.Functions.Http;

/// <summary>Maps the domain's request errors to problem details: a rejected value is a 400, a missing resource a 404.</summary>
public static class DomainErrors
{
    public static async Task<IActionResult> HandleAsync(Func<Task<IActionResult>> action)
    {
        try
        {
            return await action();
        }
        catch (AcmsValidationException ex)
        {
            return Problems.BadRequest($"'{ex.Field}' {ex.Detail}", ex.Field);
        }
        catch (NotFoundException ex)
        {
            return Problems.NotFound(ex.Message);
        }
    }
}
