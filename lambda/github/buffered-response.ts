const utf8 = new TextDecoder();

/** Where a {@link BufferedResponse} came from, as fetch reports it. */
export interface ResponseOrigin {
  readonly url: string;
  readonly redirected: boolean;
  /**
   * Why the body never arrived whole (connection cut or timeout after the head): every read
   * rejects with it, as a fetch body stream that errored does.
   * @default undefined: the body is whole
   */
  readonly bodyError?: unknown;
}

/**
 * A real `Response` whose body has already been read into memory. `text()`, `json()`,
 * `arrayBuffer()`, `bytes()` and `blob()` decode those bytes directly: a `new Response(bytes)`
 * would wrap them in a web stream and read it back, some 20 µs of CPU per request on Node 20.
 * `body` (the stream) and `formData()` still behave as fetch's, through a stream made on first
 * use. As with fetch, the body can be read once; `clone()` first for a second read.
 */
export class BufferedResponse extends Response {
  override readonly url: string;
  override readonly redirected: boolean;
  readonly #bytes: Uint8Array | null;
  readonly #bodyError: unknown;
  #used = false;
  /** Made when the body is wanted as a stream; from then on every read goes through it. */
  #streamed: Response | undefined;

  constructor(bytes: Uint8Array | null, init: ResponseInit, origin: ResponseOrigin) {
    super(null, init);
    this.#bytes = bytes;
    this.#bodyError = origin.bodyError;
    this.url = origin.url;
    this.redirected = origin.redirected;
  }

  #stream(): Response {
    if (this.#streamed === undefined) {
      const failure = this.#bodyError;
      const source =
        failure === undefined
          ? this.#bytes
          : new ReadableStream({ start: (controller) => controller.error(failure) });
      this.#streamed = new Response(source, { headers: this.headers });
      // Read already: the stream fetch would hand out now is a disturbed one.
      if (this.#used) this.#streamed.arrayBuffer().catch(() => undefined);
    }
    return this.#streamed;
  }

  /** The bytes, once; rejects as fetch does when the body was read before. */
  async #take(): Promise<Uint8Array> {
    if (this.#used) throw new TypeError("Body is unusable: Body has already been read");
    this.#used = true;
    if (this.#bodyError !== undefined) throw this.#bodyError;
    return this.#bytes ?? new Uint8Array(0);
  }

  static {
    // Response's body members are typed as properties, so they are replaced on the prototype.
    const members: Record<string, (this: BufferedResponse) => unknown> = {
      text() {
        if (this.#streamed) return this.#streamed.text();
        return this.#take().then((bytes) => utf8.decode(bytes));
      },
      json() {
        if (this.#streamed) return this.#streamed.json();
        return this.text().then((text) => JSON.parse(text) as unknown);
      },
      arrayBuffer() {
        if (this.#streamed) return this.#streamed.arrayBuffer();
        return this.#take().then((bytes) => bytes.slice().buffer);
      },
      bytes() {
        return this.arrayBuffer().then((buffer) => new Uint8Array(buffer));
      },
      blob() {
        const type = this.headers.get("content-type") ?? "";
        return this.arrayBuffer().then((buffer) => new Blob([buffer], { type }));
      },
      formData() {
        return this.#stream().formData();
      },
      clone() {
        if (this.bodyUsed) throw new TypeError("Response.clone: Body has already been consumed.");
        const init = { status: this.status, statusText: this.statusText, headers: this.headers };
        const origin = { url: this.url, redirected: this.redirected, bodyError: this.#bodyError };
        return new BufferedResponse(this.#bytes, init, origin);
      },
    };
    const descriptors: PropertyDescriptorMap = {
      body: {
        configurable: true,
        get(this: BufferedResponse) {
          return this.#bytes === null && this.#bodyError === undefined ? null : this.#stream().body;
        },
      },
      bodyUsed: {
        configurable: true,
        get(this: BufferedResponse) {
          return this.#streamed ? this.#streamed.bodyUsed : this.#used;
        },
      },
    };
    for (const [name, value] of Object.entries(members)) {
      descriptors[name] = { configurable: true, writable: true, value };
    }
    Object.defineProperties(BufferedResponse.prototype, descriptors);
  }
}
