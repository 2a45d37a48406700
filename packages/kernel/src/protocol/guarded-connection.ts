import { Duplex } from 'node:stream';

/**
 * A Duplex between a client's connection and a protocol library that trusts its peer (aedes,
 * rhea): a subclass checks what arrives (`admit`) before the library reads any of it, so a
 * frame over the size limit is refused from its header, never buffered.
 *
 * The write side is shared by every front: the writes of one event-loop turn leave in one corked
 * write (the libraries write frame by frame, and aedes from one setImmediate per delivered
 * message, so a cork until the next tick would still send message by message); a write is done
 * once the connection took it (at 'drain' when its buffer is full, which is the backpressure);
 * and what is still corked when the guard is destroyed is flushed first, so a last frame (a
 * close, a DISCONNECT) gets out.
 */
export abstract class GuardedConnection extends Duplex {
  /** Set once the connection is being refused: nothing more that arrives is passed on. */
  protected refused = false;
  private corked = false;

  protected constructor(protected readonly inner: Duplex) {
    super({ allowHalfOpen: false });
    inner.on('data', (chunk: Buffer) => {
      if (this.refused) return;
      const admitted = this.admit(chunk);
      if (admitted.length > 0 && !this.push(admitted)) inner.pause();
    });
    inner.on('end', () => this.push(null));
    inner.on('error', (error) => this.destroy(error));
    inner.on('close', () => this.destroy());
  }

  /**
   * The bytes of `chunk` the library may read: all of it, or those before a violation, which the
   * subclass then acts on (a setImmediate runs after the library read what was admitted).
   */
  protected abstract admit(chunk: Buffer): Buffer;

  /** Called with each chunk the library wrote, once it was handed to the connection. */
  protected written(_chunk: Buffer): void {}

  override _read(): void {
    this.inner.resume();
  }

  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.corkForThisTurn();
    const accepted = this.inner.write(chunk, encoding);
    this.written(chunk);
    this.afterAccepted(accepted, callback);
  }

  override _writev(chunks: Array<{ chunk: Buffer; encoding: BufferEncoding }>, callback: (error?: Error | null) => void): void {
    this.corkForThisTurn();
    let accepted = true;
    for (const { chunk, encoding } of chunks) {
      accepted = this.inner.write(chunk, encoding);
      this.written(chunk);
    }
    this.afterAccepted(accepted, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end(callback);
  }

  override destroy(error?: Error): this {
    // A library may cork this stream for the pieces of a frame: a frame written in this tick still goes out.
    if (!this.destroyed && !this.inner.destroyed) while (this.writableCorked > 0) this.uncork();
    return super.destroy(error);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.corked) {
      this.corked = false;
      this.inner.uncork();
    }
    this.inner.destroy();
    callback(error);
  }

  private corkForThisTurn(): void {
    if (this.corked) return;
    this.corked = true;
    this.inner.cork();
    setImmediate(() => {
      this.corked = false;
      this.inner.uncork();
    });
  }

  private afterAccepted(accepted: boolean, callback: (error?: Error | null) => void): void {
    if (accepted) callback();
    else this.inner.once('drain', () => callback());
  }
}
