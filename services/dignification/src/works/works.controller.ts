import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@imb/auth';
import { AssemblyReviewDto, RecordExpenseDto, VerifyProjectDto } from './works.dto';
import { WorksService } from './works.service';

@ApiTags('dignification works')
@ApiBearerAuth()
@Controller('dignification/allocations')
export class WorksController {
  constructor(private readonly works: WorksService) {}

  @Post(':id/expenses')
  @Roles('federal-coordinator', 'dignification-officer')
  @ApiCreatedResponse({ description: 'The booklet entry' })
  @ApiConflictResponse({ description: 'Over the funds received, or the project is closed' })
  addExpense(@Param('id') id: string, @Body() body: RecordExpenseDto, @CurrentUser() user: Principal) {
    return this.works.addExpense(id, body, user);
  }

  @Get(':id/expenses')
  @ApiOkResponse({ description: 'The expense booklet: entries, received and spent, review and verification' })
  booklet(@Param('id') id: string, @CurrentUser() user: Principal) {
    return this.works.booklet(id, user);
  }

  @Post(':id/review')
  @HttpCode(200)
  @Roles('federal-coordinator', 'dignification-officer')
  @ApiOkResponse({ description: 'The assembly’s review of the booklet, recorded' })
  review(@Param('id') id: string, @Body() body: AssemblyReviewDto, @CurrentUser() user: Principal) {
    return this.works.review(id, body, user);
  }

  @Post(':id/verify')
  @HttpCode(200)
  @Roles('federal-coordinator', 'dignification-officer')
  @ApiOkResponse({ description: 'The project closed; `project-completed` is emitted' })
  @ApiConflictResponse({ description: '{ missing: [...] } when the review or the before/after photos are missing, or already closed' })
  verify(@Param('id') id: string, @Body() body: VerifyProjectDto, @CurrentUser() user: Principal) {
    return this.works.verify(id, body, user);
  }
}
