using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SiteSync.Central.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ChangeLogMergeData : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "data",
                table: "central_change_log",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "data",
                table: "central_change_log");
        }
    }
}
