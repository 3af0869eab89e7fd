using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SiteSync.Central.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Routing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "action",
                table: "sync_out",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "parent_id",
                table: "record",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "subject_id",
                table: "record",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "to_store_id",
                table: "record",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_record_parent_id_table_name",
                table: "record",
                columns: new[] { "parent_id", "table_name" });

            migrationBuilder.CreateIndex(
                name: "IX_record_subject_id_table_name",
                table: "record",
                columns: new[] { "subject_id", "table_name" });

            migrationBuilder.CreateIndex(
                name: "IX_record_to_store_id",
                table: "record",
                column: "to_store_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_record_parent_id_table_name",
                table: "record");

            migrationBuilder.DropIndex(
                name: "IX_record_subject_id_table_name",
                table: "record");

            migrationBuilder.DropIndex(
                name: "IX_record_to_store_id",
                table: "record");

            migrationBuilder.DropColumn(
                name: "action",
                table: "sync_out");

            migrationBuilder.DropColumn(
                name: "parent_id",
                table: "record");

            migrationBuilder.DropColumn(
                name: "subject_id",
                table: "record");

            migrationBuilder.DropColumn(
                name: "to_store_id",
                table: "record");
        }
    }
}
