import { randomUUID } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import {
  Equals,
  IsDefined,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { currentContext } from './execution-context';
import { EventDefinition, eventKey } from './event-definition';
import { isStateCode } from './identifiers';

/**
 * A CloudEvents 1.0 event in JSON structured mode. CloudEvents requires extension attribute
 * names in lower case, so the stateCode, correlationId, causationId and actor extensions are
 * spelled `statecode`, `correlationid`, `causationid` and `actor` on the wire.
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  subject: string;
  datacontenttype: 'application/json';
  statecode?: string;
  correlationid: string;
  causationid?: string;
  actor: string;
  data: T;
}

/** Validation rules of the envelope, applied when an event is produced and when it is consumed. */
export class CloudEventEnvelope {
  @Equals('1.0') specversion: '1.0';
  @IsUUID() id: string;
  @IsString() @Matches(/^\/imb\/[a-z-]+$/) source: string;
  @IsString() @Matches(/^[a-z-]+\.[a-z-]+\.v\d+$/, { message: 'type must look like <service>.<event>.v<N>' })
  type: string;
  @IsISO8601({ strict: true }) time: string;
  @IsString() @MaxLength(200) subject: string;
  @Equals('application/json') datacontenttype: 'application/json';
  @IsOptional() @Matches(/^(0[1-9]|[12]\d|3[0-2])$/) statecode?: string;
  @IsString() @MaxLength(100) correlationid: string;
  @IsOptional() @IsString() @MaxLength(100) causationid?: string;
  @IsString() @MaxLength(200) actor: string;
  @IsDefined() @IsObject() data: unknown;
}

/** Raised when an event or its payload breaks the contract; never retried, dead-lettered at once. */
export class ContractViolation extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(details.length ? `${message}: ${details.join('; ')}` : message);
    this.name = 'ContractViolation';
  }
}

/** Flattens class-validator errors into "field: message" lines. */
export function describeValidationErrors(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((m) => (m.startsWith(`${e.property}:`) ? `${prefix ? prefix + '.' : ''}${m}` : `${path}: ${m}`));
    return [...own, ...describeValidationErrors(e.children ?? [], path)];
  });
}

/** Validates a payload against its event's class; returns the typed instance or throws ContractViolation. */
export function validatePayload<T extends object>(def: EventDefinition<T>, data: unknown): T {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ContractViolation(`${def.type}: data must be an object`);
  }
  const instance = plainToInstance(def.payload, data);
  const errors = validateSync(instance, { whitelist: true, forbidUnknownValues: true });
  if (errors.length) throw new ContractViolation(`${def.type}: invalid payload`, describeValidationErrors(errors));
  return instance;
}

export interface CreateEventOptions {
  /** What the event is about, e.g. the state code or a CLUES key; defaults to the event's key. */
  subject?: string;
  stateCode?: string;
  /** Overrides of the execution context (normally taken from the current request or event). */
  correlationId?: string;
  causationId?: string;
  actor?: string;
  id?: string;
  time?: Date;
}

/** Builds a validated CloudEvent for `def` with `data`, filling ids and context. */
export function createEvent<T extends object>(
  def: EventDefinition<T>,
  data: T,
  opts: CreateEventOptions = {},
): CloudEvent<T> {
  const payload = validatePayload(def, data);
  const ctx = currentContext();
  const stateCode = opts.stateCode ?? def.stateCode?.(payload);
  if (stateCode !== undefined && !isStateCode(stateCode)) {
    throw new ContractViolation(`${def.type}: stateCode "${stateCode}" is not a state code`);
  }
  const event: CloudEvent<T> = {
    specversion: '1.0',
    id: opts.id ?? randomUUID(),
    source: `/imb/${def.source}`,
    type: def.type,
    time: (opts.time ?? new Date()).toISOString(),
    subject: opts.subject ?? eventKey(def, payload),
    datacontenttype: 'application/json',
    ...(stateCode ? { statecode: stateCode } : {}),
    correlationid: opts.correlationId ?? ctx?.correlationId ?? randomUUID(),
    ...((opts.causationId ?? ctx?.causationId) ? { causationid: opts.causationId ?? ctx?.causationId } : {}),
    actor: opts.actor ?? ctx?.actor ?? `system:${def.source}`,
    data: { ...payload },
  };
  return event;
}

/** Parses and validates an envelope from raw JSON text; throws ContractViolation with every problem. */
export function parseEnvelope(raw: string | Buffer | null): CloudEvent {
  if (raw === null || raw.length === 0) throw new ContractViolation('empty message');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch {
    throw new ContractViolation('message is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ContractViolation('message is not a JSON object');
  }
  const envelope = plainToInstance(CloudEventEnvelope, json);
  const errors = validateSync(envelope, { forbidUnknownValues: true });
  if (errors.length) throw new ContractViolation('invalid CloudEvents envelope', describeValidationErrors(errors));
  return json as CloudEvent;
}
