import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNumber, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Describe } from '../../describe';
import { defineEvent } from '../../event-definition';
import { IsClave, IsRfc, IsStateCode } from '../../identifiers';
import { EXERCISE_CODE_PATTERN } from '../procurement-exercise';
import { Topics } from '../../topics';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AwardedSupplierV1 {
  @Describe('RFC of the supplier') @IsRfc() supplierRfc: string;
  @Describe('id of the winning bid') @IsUUID() bidId: string;
  @Describe('unit price awarded, MXN') @IsNumber() @Min(0) unitPrice: number;
  @Describe('share of the clave, percent (100, or e.g. 60 and 40 under a split rule)') @IsNumber() @Min(0) @Max(100) sharePct: number;
  @Describe('minimum pieces of the open contract') @IsInt() @Min(0) min: number;
  @Describe('maximum pieces of the open contract') @IsInt() @Min(0) max: number;
}

export class AwardIssuedV1 {
  @Describe('consolidated-purchase exercise, e.g. 2027-2028') @Matches(EXERCISE_CODE_PATTERN) exerciseCode: string;
  @Describe('clave of the national compendium') @IsClave() clave: string;
  @Describe('reference price of the clave, MXN') @IsNumber() @Min(0) referencePrice: number;
  @Describe('bids received for the clave') @IsInt() @Min(1) bids: number;
  @Describe('bids found solvent') @IsInt() @Min(1) solventBids: number;
  @Describe('the supplier(s) awarded, lowest price first')
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => AwardedSupplierV1)
  suppliers: AwardedSupplierV1[];
  @Describe('when the evaluation was made') @IsISO8601({ strict: true }) evaluatedAt: string;
}

export const AwardIssued = defineEvent({
  type: 'procurement.award-issued.v1',
  topic: Topics.ProcurementTender,
  source: 'procurement',
  payload: AwardIssuedV1,
  keyField: 'clave',
  description: 'A clave of an exercise was awarded (fallo) to its lowest solvent supplier(s); emitted again only when a re-evaluation changes the award.',
  consumers: ['gateway'],
});

export class ClaveDesertedV1 {
  @Describe('consolidated-purchase exercise, e.g. 2027-2028') @Matches(EXERCISE_CODE_PATTERN) exerciseCode: string;
  @Describe('clave of the national compendium') @IsClave() clave: string;
  @Describe('DESERTED: no bids (desierta); NOT_SOLVENT: bids, none solvent (no solvente)') @IsIn(['DESERTED', 'NOT_SOLVENT']) outcome: 'DESERTED' | 'NOT_SOLVENT';
  @Describe('bids received for the clave') @IsInt() @Min(0) bids: number;
  @Describe('when the evaluation was made') @IsISO8601({ strict: true }) evaluatedAt: string;
}

export const ClaveDeserted = defineEvent({
  type: 'procurement.clave-deserted.v1',
  topic: Topics.ProcurementTender,
  source: 'procurement',
  payload: ClaveDesertedV1,
  keyField: 'clave',
  description: 'A clave of an exercise was left without award: deserted (no bids) or not solvent (no bid solvent).',
  consumers: ['gateway'],
});

export class SupplyOrderIssuedV1 {
  @Describe('id of the supply order (orden de suministro)') @IsUUID() orderId: string;
  @Describe('id of the open contract it draws on') @IsUUID() contractId: string;
  @Describe('consolidated-purchase exercise, e.g. 2027-2028') @Matches(EXERCISE_CODE_PATTERN) exerciseCode: string;
  @Describe('clave of the national compendium') @IsClave() clave: string;
  @Describe('RFC of the supplier') @IsRfc() supplierRfc: string;
  @Describe('INEGI code of the state supplied') @IsStateCode() stateCode: string;
  @Describe('pieces ordered') @IsInt() @Min(1) quantity: number;
  @Describe('unit price, MXN') @IsNumber() @Min(0) unitPrice: number;
  @Describe('delivery due date, YYYY-MM-DD') @Matches(DATE) dueDate: string;
  @Describe('pieces ordered on the contract so far, this order included') @IsInt() @Min(1) contractOrdered: number;
  @Describe('when it was issued') @IsISO8601({ strict: true }) issuedAt: string;
}

export const SupplyOrderIssued = defineEvent({
  type: 'procurement.supply-order-issued.v1',
  topic: Topics.ProcurementSupply,
  source: 'procurement',
  payload: SupplyOrderIssuedV1,
  keyField: 'orderId',
  stateCode: (p) => p.stateCode,
  description: "A supply order was issued to a supplier for one state's share of an order on an open contract.",
  consumers: ['gateway'],
});

export class DeliveryReceivedV1 {
  @Describe('id of the delivery') @IsUUID() deliveryId: string;
  @Describe('the delivery key reported (e.g. the remisión number); the same key counts once') @IsString() @MaxLength(100) deliveryKey: string;
  @Describe('id of the supply order') @IsUUID() orderId: string;
  @Describe('id of the open contract the order draws on') @IsUUID() contractId: string;
  @Describe('consolidated-purchase exercise, e.g. 2027-2028') @Matches(EXERCISE_CODE_PATTERN) exerciseCode: string;
  @Describe('clave of the national compendium') @IsClave() clave: string;
  @Describe('RFC of the supplier') @IsRfc() supplierRfc: string;
  @Describe('INEGI code of the state supplied') @IsStateCode() stateCode: string;
  @Describe('pieces delivered') @IsInt() @Min(1) quantity: number;
  @Describe('delivery date, YYYY-MM-DD') @Matches(DATE) deliveredOn: string;
  @Describe('calendar days after the due date (0 when on time)') @IsInt() @Min(0) daysLate: number;
  @Describe('pieces delivered on the order so far, this delivery included') @IsInt() @Min(1) orderDelivered: number;
  @Describe('pieces of the order') @IsInt() @Min(1) orderQuantity: number;
}

export const DeliveryReceived = defineEvent({
  type: 'procurement.delivery-received.v1',
  topic: Topics.ProcurementSupply,
  source: 'procurement',
  payload: DeliveryReceivedV1,
  keyField: 'orderId',
  stateCode: (p) => p.stateCode,
  description: 'Pieces of a supply order were delivered (possibly partially, possibly late).',
  consumers: ['gateway'],
});
