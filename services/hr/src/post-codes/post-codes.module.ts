import { Module } from '@nestjs/common';
import { PostCodesController } from './post-codes.controller';
import { PostCodesService } from './post-codes.service';

/** The post-code catalogue (códigos de puesto). */
@Module({ controllers: [PostCodesController], providers: [PostCodesService] })
export class PostCodesModule {}
