import { Module } from '@nestjs/common';
import { PostsController } from './posts.controller';
import { PostsService } from './posts.service';

/** Reads of posts (plazas) and flagged CURPs per state. */
@Module({ controllers: [PostsController], providers: [PostsService] })
export class PostsModule {}
