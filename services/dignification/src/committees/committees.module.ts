import { Module } from '@nestjs/common';
import { CommitteesController } from './committees.controller';
import { CommitteesService } from './committees.service';

/** Each unit's health committee (COSABI), which receives and spends the money. */
@Module({
  controllers: [CommitteesController],
  providers: [CommitteesService],
})
export class CommitteesModule {}
