import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isStateCode } from '@imb/contracts';

/** Rejects a route's state code unless it is '01'..'32'. */
@Injectable()
export class StateCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isStateCode(value)) {
      throw new BadRequestException(`"${value}" is not a state code: expected two digits from 01 to 32`);
    }
    return value;
  }
}
