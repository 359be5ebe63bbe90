using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Nuclei.Server.Api;

/// <summary>JSON with snake_case names, as every endpoint (through the HTTP JSON options) and the training set's provenance.json write it.</summary>
internal static class SnakeCaseJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static IResult Result(object value, int status = StatusCodes.Status200OK) => Results.Json(value, Options, statusCode: status);
}
