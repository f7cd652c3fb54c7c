import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '@imb/auth';
import { CreatePostCodeDto } from './post-codes.dto';
import { PostCodesService } from './post-codes.service';

@ApiTags('post-codes')
@ApiBearerAuth()
@Controller('hr/post-codes')
export class PostCodesController {
  constructor(private readonly postCodes: PostCodesService) {}

  @Get()
  @ApiOkResponse({ description: 'Every post code with its branch and category' })
  list() {
    return this.postCodes.list();
  }

  @Post()
  @Roles('federal-coordinator', 'hr-officer')
  @ApiCreatedResponse({ description: 'The new post code' })
  @ApiConflictResponse({ description: 'The code is already in the catalogue' })
  create(@Body() body: CreatePostCodeDto) {
    return this.postCodes.create(body);
  }
}
