using System.Text.Json;

namespace Nuclei.Tests.Server;

/// <summary>How the tests read and write the server's JSON: snake_case names, as the server speaks.</summary>
static class ServerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
}
