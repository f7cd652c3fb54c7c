import { Module } from '@nestjs/common';
import { HiringController } from './hiring.controller';
import { HiringService } from './hiring.service';

/** Hiring targets and progress per state × category. */
@Module({ controllers: [HiringController], providers: [HiringService] })
export class HiringModule {}
