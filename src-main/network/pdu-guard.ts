// Checks the framing of the PDUs arriving on a receiver socket before trusting them: known types, an
// A-ASSOCIATE-RQ first, lengths within what we advertised. Pure state machine over byte chunks (PS3.8 9.3).

export interface PduGuardLimits {
  /** Largest P-DATA-TF PDU body we advertised (our maximum receive length). */
  maxDataPdu: number;
  /** Largest body for any other PDU (association negotiation is small). */
  maxControlPdu: number;
}

const PDU_NAMES: Record<number, string> = {
  1: 'A-ASSOCIATE-RQ',
  2: 'A-ASSOCIATE-AC',
  3: 'A-ASSOCIATE-RJ',
  4: 'P-DATA-TF',
  5: 'A-RELEASE-RQ',
  6: 'A-RELEASE-RP',
  7: 'A-ABORT',
};

export class PduGuard {
  private readonly limits: PduGuardLimits;
  private header = new Uint8Array(6);
  private headerFill = 0;
  private bodyLeft = 0;
  private seen = 0;

  constructor(limits: PduGuardLimits) {
    this.limits = limits;
  }

  /** Returns null while the stream looks like DICOM upper layer traffic, else what is wrong with it. */
  feed(chunk: Uint8Array): string | null {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.bodyLeft > 0) {
        const skip = Math.min(this.bodyLeft, chunk.length - offset);
        this.bodyLeft -= skip;
        offset += skip;
        continue;
      }
      const take = Math.min(6 - this.headerFill, chunk.length - offset);
      this.header.set(chunk.subarray(offset, offset + take), this.headerFill);
      this.headerFill += take;
      offset += take;
      if (this.headerFill < 6) break;
      this.headerFill = 0;
      const problem = this.check();
      if (problem) return problem;
    }
    return null;
  }

  private check(): string | null {
    const type = this.header[0] as number;
    const length = new DataView(this.header.buffer).getUint32(2, false);
    const name = PDU_NAMES[type];
    if (!name) return `unknown PDU type 0x${type.toString(16).padStart(2, '0')}`;
    if (this.seen === 0 && type !== 1) return `the first PDU was ${name}, not A-ASSOCIATE-RQ`;
    if (this.seen > 0 && type === 1) return 'a second A-ASSOCIATE-RQ on an open association';
    const limit = type === 4 ? this.limits.maxDataPdu : this.limits.maxControlPdu;
    if (length > limit) return `${name} of ${length} bytes exceeds the ${limit} bytes allowed`;
    this.seen++;
    this.bodyLeft = length;
    return null;
  }
}
