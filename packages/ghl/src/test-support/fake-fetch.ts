export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

/** An injected fetch that records requests and answers through `handler`. */
export function createFakeFetch(
  handler: (req: RecordedRequest, index: number) => Response | Promise<Response>,
) {
  const requests: RecordedRequest[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const recorded: RecordedRequest = {
      method: request.method,
      url: new URL(request.url),
      headers: new Headers(request.headers),
      body: request.body ? await request.text() : "",
    };
    requests.push(recorded);
    return handler(recorded, requests.length - 1);
  };
  return { fetch, requests };
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
